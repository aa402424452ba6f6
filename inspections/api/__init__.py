"""The registry's API (``/api/v1/``): read the institutions, documents, agreements, checklists,
inspections, issues and monthly reports in the user's scope; an institution files its monthly
report and answers an issue with rectification evidence. ``ROUTES`` is composed by the root
URLconf."""

from inspections.api import inspections, registry, reports

ROUTES = [*registry.ROUTES, *inspections.ROUTES, *reports.ROUTES]
