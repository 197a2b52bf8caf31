from django.conf import settings
from django.db import models


class SubmissionReceipt(models.Model):
    """One successful POST that wrote something: who sent what (a hash of the body) where, and
    where it led. A repeat of the same body is answered with `location` instead of being run
    again; see `writes.resubmission`. Kept for `RESUBMISSION_WINDOW`, then pruned
    (`manage.py prune_submission_receipts`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    # The record the path is about (`/g/brugge/households/17/`), or the group, or the path:
    # a newer write in the same scope means a repeat is no longer a repeat (see resubmission.py).
    scope = models.CharField(max_length=500)
    digest = models.CharField(max_length=64)
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "path", "digest"], name="submission_receipt_unique"),
        ]
        indexes = [
            models.Index(fields=["scope", "created_at"], name="submission_receipt_scope_idx"),
            models.Index(fields=["created_at"], name="submission_receipt_age_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.path} {self.created_at:%Y-%m-%d %H:%M}"
