"""The Django admin's site, with every admin view inside `rls.scope.admin()`.

The admin is where superusers see family data of any group (households/admin.py shows
households and persons to superusers only, and writes every read to the access log). Its views
run in the explicit all-groups mode of the admin, and a TemplateResponse is rendered inside that
transaction, so nothing is read after the mode has ended.
"""

from functools import wraps

from django.contrib import admin

from rls import scope


class ScopedAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def scoped(request, *args, **kwargs):
            with scope.admin():
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
                return response

        return super().admin_view(scoped, cacheable)
