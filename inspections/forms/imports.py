from django import forms
from django.utils.translation import gettext_lazy as _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
        help_text=_(
            "The template's two sheets: institutions, and their qualification documents. "
            "Nothing is saved before you have seen every row checked and confirmed."
        ),
    )
