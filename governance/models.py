from django.db import models

from governance.choices import DistrictKind, PartnerSector


class Partnership(models.Model):
    """The partnership this deployment serves (one per deployment, DOMAIN.md)."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            # Single row: the primary key is always 1.
            models.CheckConstraint(condition=models.Q(pk=1), name="single_partnership"),
        ]

    def __str__(self):
        return self.name


class PeoArea(models.Model):
    """An area covered by one Prevent Education Officer."""

    name = models.CharField(max_length=120, unique=True)
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "PEO area"

    def __str__(self):
        return self.name


class District(models.Model):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=DistrictKind.choices)
    peo_area = models.ForeignKey(
        PeoArea, on_delete=models.PROTECT, related_name="districts", verbose_name="PEO area"
    )
    lead_contact = models.CharField(
        "lead contact in the team", max_length=200, blank=True, help_text="Name or role"
    )
    csp_attendance = models.CharField(
        "how Prevent attends the Community Safety Partnership", max_length=300, blank=True
    )
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Partner(models.Model):
    """A partner organisation: councils, police, NHS, schools, colleges and others."""

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=30, choices=PartnerSector.choices)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        help_text="Leave empty for an organisation that covers the whole area.",
    )
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            # The partner register is filtered by sector.
            models.Index(fields=["sector", "name"], name="partner_sector_name_idx"),
        ]

    def __str__(self):
        return self.name
