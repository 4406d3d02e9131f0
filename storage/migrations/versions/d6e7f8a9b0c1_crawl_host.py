"""crawls.host: which machine ran a crawl, so a pid is only judged on its own host

Revision ID: d6e7f8a9b0c1
Revises: c4d2e6f8a901
Create Date: 2026-12-01 05:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d6e7f8a9b0c1"
down_revision: str | None = "c4d2e6f8a901"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawls") as batch:
        batch.add_column(sa.Column("host", sa.String(255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawls") as batch:
        batch.drop_column("host")
