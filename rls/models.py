"""No models: this module exists so that Django sends `post_migrate` to this app (rls/apps.py),
which then grants the app role its rights on the tables the migrations created."""
