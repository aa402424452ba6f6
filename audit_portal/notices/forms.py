from django import forms
from django.utils.translation import gettext_lazy as _

from audit_portal.notices import channels
from audit_portal.notices.kinds import Kind, Mode, default_mode
from audit_portal.notices.models import Delivery, GroupRobot


class PreferencesForm(forms.Form):
    """One choice per kind of notification: in-app only, mail at once or the daily digest."""

    def __init__(self, *args, chosen: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            default = Mode(default_mode(kind))
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Mode.choices,
                initial=chosen.get(kind.value, default.value),
                help_text=_("Default: %(mode)s") % {"mode": default.label},
            )

    @property
    def modes(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[kind.value] for kind in Kind}


class RobotForm(forms.Form):
    flavour = forms.ChoiceField(label=_("Kind"), choices=GroupRobot.Flavour.choices)
    url = forms.URLField(
        label=_("Robot address"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "The webhook address the group's robot settings show (enterprise WeChat: "
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…; DingTalk: "
            "https://oapi.dingtalk.com/robot/send?access_token=…)."
        ),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, robot: GroupRobot | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if robot is not None:
            # The address is a secret: never shown back, kept when left empty.
            self.fields["url"].required = False
            self.fields["url"].help_text = _(
                "An address is set (host %(host)s). Leave empty to keep it, or enter a new one."
            ) % {"host": channels.robot_target(robot.url)}
            self.initial.update(flavour=robot.flavour, active=robot.active)


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Delivery.Status.choices], required=False
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All")), *Delivery.Channel.choices], required=False
    )

    def filter(self, deliveries):
        """Filtered by the valid choices; a value that is not one of the choices is ignored."""
        self.is_valid()
        for name in ("status", "channel"):
            if value := self.cleaned_data.get(name):
                deliveries = deliveries.filter(**{name: value})
        return deliveries
