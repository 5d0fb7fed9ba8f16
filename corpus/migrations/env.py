"""Alembic environment: run by `corpus init` / `corpus db ...` (which pass their engine)
or by the `alembic` command (which takes `-x db=URL`)."""
from alembic import context

from corpus.database import comparison_options, open_engine
from corpus.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = open_engine(context.get_x_argument(as_dictionary=True).get("db"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            **comparison_options(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations()
