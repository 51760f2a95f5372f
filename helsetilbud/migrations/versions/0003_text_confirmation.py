"""info texts remember when their text was last confirmed as still true (issue 16)

Also the office's phone number from the registry, where known, for the text rule that
compares a phone number in a text with it.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helsetilbud.model import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("info_texts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by", sa.String(length=64), nullable=True))
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_column("phone")
    with op.batch_alter_table("info_texts", schema=None) as batch_op:
        batch_op.drop_column("confirmed_by")
        batch_op.drop_column("confirmed_at")
