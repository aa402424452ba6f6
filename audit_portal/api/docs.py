"""The API's documentation page: Swagger UI from the vendored sidecar files, under the site's
Content-Security-Policy.

drf-spectacular's split view sends its start-up script as a file of its own (``?script``), not
inline; the template here replaces the page's inline ``<style>`` block with a stylesheet. What
remains is one widening, for this page only: Swagger UI's stylesheet draws its icons as
``data:`` images.
"""

from csp.constants import SELF
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularSwaggerSplitView

DOCS_POLICY = {"img-src": [SELF, "data:"]}


@method_decorator(csp_update(DOCS_POLICY), name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
