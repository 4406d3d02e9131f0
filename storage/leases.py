"""Named, expiring leases: at most one process at a time may hold a name (e.g. `scheduler`).

A lease is one row in `leases`. Taking it is a single conditional statement — UPDATE the row if it
has expired (or is already ours), else INSERT it if there is none — so two processes racing for it
cannot both win, on SQLite (writes are serialised) as on PostgreSQL (the UPDATE re-checks its
WHERE after waiting for the row lock; the INSERT meets the primary key). Each function runs in
the caller's transaction, which the caller commits at once so other processes see the lease.
The holder renews it every few seconds; if the holder dies the lease simply expires and the
next process takes it over.
Times come from the caller's clock, so hosts sharing a database should keep their clocks in step
(well within the lease's lifetime).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Lease, utcnow


@dataclass(frozen=True, slots=True)
class LeaseInfo:
    """Who holds a lease, since when, and until when it stays theirs without renewal."""

    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LeaseAttempt:
    """The outcome of `acquire_lease`: whether we got it, and the lease as it now stands."""

    acquired: bool
    lease: LeaseInfo | None


def current_lease(session: Session, name: str) -> LeaseInfo | None:
    row = session.execute(
        select(Lease.name, Lease.holder, Lease.acquired_at, Lease.expires_at).where(
            Lease.name == name
        )
    ).first()
    return LeaseInfo(*row) if row else None


def acquire_lease(
    session: Session,
    name: str,
    holder: str,
    ttl: float,
    *,
    take_over: str | None = None,
    now: datetime | None = None,
) -> LeaseAttempt:
    """Take `name` for `holder` for `ttl` seconds, if it is free, expired or already ours.

    `take_over` names a holder known to be dead (same host, process gone): its lease is taken at
    once instead of after it expires — still atomically, only if that holder is the one in the row.
    """
    now = now or utcnow()
    expires = now + timedelta(seconds=ttl)
    claimable = or_(Lease.expires_at <= now, Lease.holder == holder)
    if take_over:
        claimable = or_(claimable, Lease.holder == take_over)
    for _ in range(3):  # the row may vanish (released) between our UPDATE and INSERT
        taken = session.execute(
            update(Lease)
            .where(and_(Lease.name == name, claimable))
            .values(
                holder=holder,
                acquired_at=case((Lease.holder == holder, Lease.acquired_at), else_=now),
                expires_at=expires,
            )
        ).rowcount
        if taken == 1 or _insert_if_absent(session, name, holder, now, expires):
            return LeaseAttempt(True, LeaseInfo(name, holder, now, expires))
        held = current_lease(session, name)
        if held is not None:
            return LeaseAttempt(held.holder == holder, held)
    return LeaseAttempt(False, current_lease(session, name))


def _insert_if_absent(
    session: Session, name: str, holder: str, now: datetime, expires: datetime
) -> bool:
    values = {"name": name, "holder": holder, "acquired_at": now, "expires_at": expires}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = postgresql.insert(Lease).values(values).on_conflict_do_nothing()
        return session.execute(stmt).rowcount == 1
    if dialect == "sqlite":
        stmt = sqlite.insert(Lease).values(values).on_conflict_do_nothing()
        return session.execute(stmt).rowcount == 1
    try:
        with session.begin_nested():
            session.execute(insert(Lease).values(values))
    except IntegrityError:
        return False
    return True


def renew_lease(
    session: Session, name: str, holder: str, ttl: float, *, now: datetime | None = None
) -> bool:
    """Push our lease's expiry on; False: it is no longer ours (it expired and was taken)."""
    now = now or utcnow()
    return (
        session.execute(
            update(Lease)
            .where(Lease.name == name, Lease.holder == holder)
            .values(expires_at=now + timedelta(seconds=ttl))
        ).rowcount
        == 1
    )


def release_lease(session: Session, name: str, holder: str) -> bool:
    """Give the lease up (only if it is still ours), so the next holder need not wait for expiry."""
    return (
        session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder)).rowcount
        == 1
    )
