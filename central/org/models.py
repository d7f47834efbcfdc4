"""Who serves where: counties, their offices, the service catalogue, and staff scopes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    """A county (or district): the unit of permission. Staff see only their counties."""

    slug = models.SlugField(_("locality id"), unique=True, help_text=_("The locality file's id."))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service from the pack's catalogue (pack.yaml `services`)."""

    slug = models.SlugField(_("service id"), unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    prefix = models.CharField(_("queue prefix"), max_length=2)
    bookable = models.BooleanField(_("bookable"), default=True)
    default_minutes = models.PositiveSmallIntegerField(
        _("typical minutes per resident"), default=10,
        help_text=_("Used for the wait estimate until enough residents were served."))

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["prefix", "slug"]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name_zh}"

    def names(self) -> dict[str, str]:
        return {"zh-CN": self.name_zh, "en": self.name_en}


class Office(models.Model):
    """A place residents go to: judicial office, legal service centre, notary office."""

    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT,
                               related_name="offices")
    slug = models.SlugField(_("office id"), help_text=_("The office's id in the locality file."))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    services = models.ManyToManyField(Service, verbose_name=_("services"), blank=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [models.UniqueConstraint(fields=["county", "slug"], name="office_slug_per_county")]
        ordering = ["county", "slug"]

    def __str__(self) -> str:
        return self.name


class StaffScope(models.Model):
    """The counties a staff account may see and change (superusers see all)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="scope", verbose_name=_("user"))
    counties = models.ManyToManyField(County, verbose_name=_("counties"), blank=True)
    sees_phone_numbers = models.BooleanField(
        _("sees full phone numbers"), default=False,
        help_text=_("Only staff who must call residents back. Others see 138****5678."))

    class Meta:
        verbose_name = _("staff scope")
        verbose_name_plural = _("staff scopes")

    def __str__(self) -> str:
        return str(self.user)


class LoginFailure(models.Model):
    """Failed admin logins (central/org/throttle.py): per account and address, per address
    (username ""), per account (client "*")."""

    username = models.CharField(max_length=150)
    client = models.CharField(max_length=45)
    count = models.PositiveIntegerField(default=0)
    last = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["username", "client"], name="one_row_per_login")]


class GuessCount(models.Model):
    """Lookups of codes that do not exist, per client address or kiosk, per time window
    (central/guesses.py): guessing booking codes is slowed to a few tries a minute."""

    scope = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key", "window"], name="one_count_a_window")]
