"""vikars for a GP's list, and a GP's rule to close services on public holidays (issue 15)

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import helsetilbud.model

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vikars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gp_id", sa.Integer(), nullable=False),
        sa.Column("hpr", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", helsetilbud.model.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["gp_id"], ["gps.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("vikars", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vikars_gp_id"), ["gp_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vikars_hpr"), ["hpr"], unique=False)

    op.create_table(
        "holiday_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gp_id", sa.Integer(), nullable=False),
        sa.Column("services", sa.String(length=120), nullable=False),
        sa.Column("eves", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", helsetilbud.model.UtcDateTime(), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["gp_id"], ["gps.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("gp_id"),
    )


def downgrade() -> None:
    op.drop_table("holiday_rules")
    with op.batch_alter_table("vikars", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vikars_hpr"))
        batch_op.drop_index(batch_op.f("ix_vikars_gp_id"))
    op.drop_table("vikars")
