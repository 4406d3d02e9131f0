"""pages.last_fetch_started_at: a result fetched before it is recorded but compared with nothing

Revision ID: c4d2e6f8a901
Revises: c2d3e4f5a6b7
Create Date: 2026-12-01 04:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4d2e6f8a901"
down_revision: str | None = "c2d3e4f5a6b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.add_column(
            sa.Column("last_fetch_started_at", sa.DateTime(timezone=True), nullable=True)
        )
    # Existing pages: the fetch their state came from is the last one compared.
    op.execute(
        "UPDATE pages SET last_fetch_started_at = "
        "(SELECT fetches.started_at FROM fetches WHERE fetches.id = pages.last_good_fetch_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("last_fetch_started_at")
