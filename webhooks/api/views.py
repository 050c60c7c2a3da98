"""/api/v1/webhooks/endpoints/: a newsroom's webhook endpoints, for its write keys only.

Thin over webhooks/endpoints.py (the one writer). A key sees its own newsroom's
endpoints and nothing else: another newsroom's endpoint is a 404, as if absent.
Read keys, staff sessions and suspended write keys get 403: an endpoint's
deliveries carry what the newsroom's editors chose to receive.
"""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from factcheck.api.pagination import Cursor
from factcheck.api.schema import error_responses
from factcheck.api.viewsets import VisibleRowsViewSet
from newsrooms.keys import can_write
from newsrooms.models import KeyAccess
from newsrooms.permissions import api_key

from .. import endpoints
from ..models import Attempt, Delivery, Endpoint
from .serializers import (
    DeliveryOut,
    EndpointInput,
    EndpointOut,
    EndpointWithSecret,
    RotateInput,
)


class NewsroomWriteKey(permissions.BasePermission):
    """Only an active editor's write key: webhooks belong to the key's newsroom."""

    message = "Webhook endpoints are managed with a newsroom's write key."

    def has_permission(self, request: Request, view) -> bool:
        key = api_key(request)
        if key is None:
            return False
        if key.scope != KeyAccess.WRITE:
            self.message = "This is a read key; webhook endpoints need a write key."
            return False
        if not can_write(key.user):
            self.message = "This key's editor is no longer an editor; the key is suspended."
            return False
        return True


class DeliveryCursor(Cursor):
    ordering = ("-id",)


class EndpointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.DestroyModelMixin, VisibleRowsViewSet):
    """Where the newsroom receives signed event POSTs (Standard Webhooks), and their log."""

    serializer_class = EndpointOut
    permission_classes = [NewsroomWriteKey]
    filterset_class = None
    ordering_fields = ["id", "updated_at"]

    def visible_queryset(self) -> QuerySet:
        key = api_key(self.request)
        if key is None:  # the schema generator; the permission refuses real requests
            return Endpoint.objects.none()
        return Endpoint.objects.filter(newsroom_id=key.newsroom_id)

    @extend_schema(responses={200: EndpointOut(many=True),
                              **error_responses(400, 401, 403, 429)})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: EndpointOut, **error_responses(401, 403, 404, 429)})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=EndpointInput, responses={
        201: EndpointWithSecret, **error_responses(400, 401, 403, 413, 415, 429)},
        description="Register an endpoint; the answer holds its signing secret.")
    def create(self, request, *args, **kwargs):
        data = EndpointInput(data=request.data)
        data.is_valid(raise_exception=True)
        key = api_key(request)
        values = dict(data.validated_data)
        values.pop("active", None)
        endpoint = endpoints.register(key.newsroom, key=key, **values)
        return Response(EndpointWithSecret(endpoint).data, status=status.HTTP_201_CREATED)

    def _update(self, request, partial: bool) -> Response:
        endpoint = self.get_object()
        data = EndpointInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        endpoints.update(endpoint, **data.validated_data)
        return Response(EndpointOut(endpoint).data)

    @extend_schema(request=EndpointInput, responses={
        200: EndpointOut, **error_responses(400, 401, 403, 404, 413, 415, 429)})
    def update(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    @extend_schema(request=EndpointInput, responses={
        200: EndpointOut, **error_responses(400, 401, 403, 404, 413, 415, 429)})
    def partial_update(self, request, *args, **kwargs):
        return self._update(request, partial=True)

    @extend_schema(responses={204: None, **error_responses(401, 403, 404, 429)})
    def destroy(self, request, *args, **kwargs):
        endpoints.remove(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=RotateInput, responses={
        200: EndpointWithSecret, **error_responses(400, 401, 403, 404, 413, 415, 429)},
        description="A new secret; the old one keeps signing alongside it for "
                    "`overlap_seconds` (default a day).")
    @action(detail=True, methods=["post"], url_path="rotate-secret", filterset_class=None)
    def rotate_secret(self, request, pk=None):
        endpoint = self.get_object()
        data = RotateInput(data=request.data)
        data.is_valid(raise_exception=True)
        endpoints.rotate_secret(endpoint, overlap_seconds=data.validated_data.get(
            "overlap_seconds"))
        return Response(EndpointWithSecret(endpoint).data)

    def _deliveries(self, endpoint: Endpoint) -> QuerySet:
        return endpoint.deliveries.select_related("event").prefetch_related(
            Prefetch("log", queryset=Attempt.objects.order_by("number")))

    @extend_schema(responses={200: DeliveryOut(many=True),
                              **error_responses(400, 401, 403, 404, 429)},
                   description="The endpoint's deliveries, newest first, each with its log.")
    @action(detail=True, methods=["get"], url_path="deliveries", filterset_class=None,
            ordering_fields=[], pagination_class=DeliveryCursor)
    def deliveries(self, request, pk=None):
        page = self.paginate_queryset(self._deliveries(self.get_object()))
        return self.get_paginated_response(DeliveryOut(page, many=True).data)

    @extend_schema(request=None, responses={202: DeliveryOut,
                                            **error_responses(401, 403, 404, 429)},
                   description="Send this delivery again now, with the same webhook-id.")
    @action(detail=True, methods=["post"], filterset_class=None,
            url_path=r"deliveries/(?P<delivery_id>[0-9]{1,18})/replay")
    def replay(self, request, pk=None, delivery_id=None):
        endpoint = self.get_object()
        try:
            delivery = self._deliveries(endpoint).get(pk=int(delivery_id))
        except (Delivery.DoesNotExist, OverflowError):
            from rest_framework.exceptions import NotFound

            raise NotFound() from None
        endpoints.replay(delivery)
        delivery = self._deliveries(endpoint).get(pk=delivery.pk)
        return Response(DeliveryOut(delivery).data, status=status.HTTP_202_ACCEPTED)
