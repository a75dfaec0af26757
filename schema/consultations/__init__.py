"""The consultation desk in GraphQL: directory, consent, threads, plans, visits, real-time events."""

from schema.consultations.mutations import ConsultationMutation
from schema.consultations.queries import ConsultationQuery
from schema.consultations.subscriptions import ConsultationSubscription

__all__ = ["ConsultationMutation", "ConsultationQuery", "ConsultationSubscription"]
