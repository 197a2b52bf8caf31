from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for developers. Sits on top of every other app, so it may import them all."""

    name = "demo"
