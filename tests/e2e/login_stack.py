"""The login stack for browser tests: re-exported from `deploy.stack` (also used by `make stack`
and benchmarks/load_bench.py)."""

from deploy.stack import (
    APACHE,
    OIDC_DIR,
    Stack,
    ensure_oidc_node_modules,
    full_stack,
    login,
    login_proxy,
)

login_stack = login_proxy

__all__ = [
    "APACHE",
    "OIDC_DIR",
    "Stack",
    "ensure_oidc_node_modules",
    "full_stack",
    "login",
    "login_proxy",
    "login_stack",
]
