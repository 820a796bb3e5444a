"""Authorisation where staff actions happen: the acting account's current role decides.

The screens hide what a role may not do, but that is only a convenience: every staff
operation of the store calls :meth:`Access.require` first. It reads the account again
(a removed account, or one whose role changed, acts no more) and refuses with
:class:`NotPermitted`, audited, when the role does not allow the action.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kiosk.staff.access import StaffActor, may
from kiosk.storage.records import NotPermitted

if TYPE_CHECKING:
    from kiosk.storage.audit import AuditLog
    from kiosk.storage.database import Database
    from kiosk.storage.models import Models


class Access:
    def __init__(self, database: Database, models: Models, audit: AuditLog) -> None:
        self.database = database
        self.models = models
        self.audit = audit

    def require(self, actor: StaffActor, action: str) -> None:
        if not isinstance(actor, StaffActor):
            raise TypeError("staff actions need the acting StaffActor")
        role = actor.role
        if not actor.from_command_line:
            account = self.database.run("check the staff account", lambda: (
                self.models.StaffAccount.get_or_none(
                    (self.models.StaffAccount.id == actor.account_id)
                    & (self.models.StaffAccount.active == True))))  # noqa: E712
            role = account.role if account is not None else ""
        if not may(role, action):
            self.audit.add(actor.name, action, dt.datetime.now(), success=False,
                           detail="not permitted")
            raise NotPermitted(f"{actor.name} may not {action.replace('_', ' ')}")
