"""Integrations in GraphQL: webhook endpoints and deliveries, e-mail notice settings, learning record stores."""

from schema.integrations.mutations import IntegrationMutation
from schema.integrations.queries import IntegrationQuery

__all__ = ["IntegrationMutation", "IntegrationQuery"]
