from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as service_urlpatterns

BASELINE_TABLE = "bench_baseline_insert"


@csrf_exempt
def insert_one_row(request: HttpRequest) -> JsonResponse:
    """The floor for a registration: a bare Django view that commits one INSERT."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BASELINE_TABLE} (body) VALUES (%s)", [request.body.decode()])
    return JsonResponse({"status": "ok"}, status=201)


urlpatterns = [path("bench/baseline/", insert_one_row), *service_urlpatterns]
