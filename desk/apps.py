from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Editor's desk"

    def ready(self) -> None:
        # sources and claims never import the desk: it registers with them here.
        from factcheck.report_extend import add_status_figure

        from . import checklists, signals

        signals.connect()
        # reports may not import the desk: its figure reaches the status report this way.
        add_status_figure("open_checklist_tasks", "Open checklist tasks",
                          checklists.open_tasks_on)
