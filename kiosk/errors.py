"""The one error type for data files that cannot be used (content, questionnaires)."""


class ContentError(ValueError):
    """A content file is malformed; the message names the file, the place and the problem."""

    def __init__(self, source: str, where: str, problem: str) -> None:
        super().__init__(f"{source}: {where}: {problem}")
        self.source = source
        self.where = where
        self.problem = problem
