from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.reports_page, name="page"),
    path("<slug:slug>.<str:fmt>", views.report_download, name="download"),
]
