"""The exception classes: one per core error variant, all :class:`RetentionError` (a ``ValueError``).

Defined here, in Python, so that they belong to the ``retentionkit`` package
(``__module__ == "retentionkit"``) and survive ``pickle`` (a Dask worker's
error arrives on the client as its own class). The native module raises these
same classes (``bindings/python/src/error.rs``) with the core's message,
unchanged, and the core error's fields as attributes.

>>> import pickle, retentionkit as rk
>>> err = rk.InvalidValueError("column `amount`, row 3: NaN", column="amount", row=3)
>>> again = pickle.loads(pickle.dumps(err))
>>> type(again).__name__, str(again), again.column, again.row, again.argument
('InvalidValueError', 'column `amount`, row 3: NaN', 'amount', 3, None)
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

__all__ = [
    "RetentionError",
    "EmptyError",
    "LengthMismatchError",
    "InvalidValueError",
    "ZeroDenominatorError",
    "InvalidArgumentError",
    "MissingColumnError",
    "IncompatibleError",
    "TooLargeError",
]

# The attributes every instance has, in the order of the keyword arguments.
_FIELDS = ("column", "row", "value", "argument", "expected", "got")


class RetentionError(ValueError):
    """Base class of every retentionkit error (a ValueError).

    The message names what is wrong (column and row, argument, ...). The same
    facts are attributes, ``None`` when the error has no such fact:

    - ``column``: the column holding the bad value, the missing column, or the
      column of the wrong length;
    - ``row``: the 0-based row of the first bad value;
    - ``value``: the bad value itself. The core's errors do not carry it (their
      message describes it), so it is ``None`` on every error raised by the
      native module; Python code may set it;
    - ``argument``: the name of the argument out of its range;
    - ``expected``, ``got``: the length a column should have and the length it
      has (``got`` is also the size of a :class:`TooLargeError`).

    Raise with a message alone, or with the attributes as keywords:
    ``InvalidValueError("column `amount`, row 3: NaN", column="amount", row=3)``.
    Instances pickle and copy with their message and attributes.
    """

    __module__ = "retentionkit"

    column: Optional[str]
    row: Optional[int]
    value: Any
    argument: Optional[str]
    expected: Optional[int]
    got: Optional[int]

    def __init__(
        self,
        *args: object,
        column: Optional[str] = None,
        row: Optional[int] = None,
        value: Any = None,
        argument: Optional[str] = None,
        expected: Optional[int] = None,
        got: Optional[int] = None,
    ) -> None:
        super().__init__(*args)
        self.column = column
        self.row = row
        self.value = value
        self.argument = argument
        self.expected = expected
        self.got = got

    def _attributes(self) -> Dict[str, Any]:
        """The attributes that are set (not ``None``), as keyword arguments of the class."""
        return {k: getattr(self, k) for k in _FIELDS if getattr(self, k) is not None}

    def __reduce__(self) -> Tuple[Any, ...]:
        # The class is found by name (retentionkit.<Name>) and called with the
        # message and attributes as keywords; anything else set on the instance
        # (notes, private flags) follows as state.
        state = {k: v for k, v in self.__dict__.items() if k not in _FIELDS}
        return (_rebuild, (type(self), self.args, self._attributes()), state or None)

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args]
        parts += [f"{k}={v!r}" for k, v in self._attributes().items()]
        return f"{type(self).__name__}({', '.join(parts)})"


def _rebuild(cls: Any, args: Tuple[Any, ...], attributes: Dict[str, Any]) -> RetentionError:
    """``cls(*args, **attributes)``: how a pickled error is made again."""
    return cls(*args, **attributes)


def _with(err: RetentionError, message: str, **changes: Any) -> RetentionError:
    """A new error of ``err``'s class with ``message`` and ``err``'s attributes, some changed."""
    return type(err)(message, **{**err._attributes(), **changes})


class EmptyError(RetentionError):
    """An input that must hold at least one row holds none. The core sets no attribute."""

    __module__ = "retentionkit"


class LengthMismatchError(RetentionError):
    """Two columns that must have the same length do not.

    ``column`` is the column with the wrong length, ``expected`` the length it
    should have (that of the first column), ``got`` the length it has.
    """

    __module__ = "retentionkit"


class InvalidValueError(RetentionError):
    """A value in a column is not allowed; the message names the column and row.

    ``column`` and ``row`` (0-based) locate the first bad value; ``value`` is
    ``None`` when the error comes from the core, whose message describes the value.
    """

    __module__ = "retentionkit"


class ZeroDenominatorError(RetentionError):
    """A ratio was asked for whose denominator is zero. The core sets no attribute."""

    __module__ = "retentionkit"


class InvalidArgumentError(RetentionError):
    """A scalar argument is out of its allowed range. ``argument`` is its name."""

    __module__ = "retentionkit"


class MissingColumnError(RetentionError):
    """The computation needs a column the input does not have. ``column`` is its name."""

    __module__ = "retentionkit"


class IncompatibleError(RetentionError):
    """Partial results computed with different settings cannot be merged. The core sets no attribute."""

    __module__ = "retentionkit"


class TooLargeError(RetentionError):
    """The input is larger than retentionkit supports. ``got`` is its size."""

    __module__ = "retentionkit"
