"""Guards against a Qt binding that corrupts the interpreter (see pyproject.toml)."""

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    happened = Signal(str)


def test_emitting_signals_from_python_keeps_true_alive():
    emitter = Emitter()
    received = []
    emitter.happened.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.happened.emit("x")
    assert len(received) == 200
    # PySide6 6.12.0 loses one reference per emit here (-200); a few either way is noise.
    assert sys.getrefcount(True) - before > -20
