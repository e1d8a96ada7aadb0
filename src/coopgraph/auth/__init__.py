"""Who may write: bearer tokens with a role, stored hashed (:mod:`coopgraph.auth.tokens`)."""

from coopgraph.auth.tokens import ROLES, Role, TokenInfo, TokenStore

__all__ = ["ROLES", "Role", "TokenInfo", "TokenStore"]
