"""``{% memo value… %}…{% endmemo %}``: the block's markup written once per process for the same
values (``audit_portal.core.fragments``). Name every value the block shows::

    {% load memo %}
    {% memo rows today user.is_institution_user %}
      {% for row in rows %}…{% endfor %}
    {% endmemo %}
"""

from django import template
from django.template.base import UNKNOWN_SOURCE

from audit_portal.core.fragments import rendered

register = template.Library()


class MemoNode(template.Node):
    def __init__(self, nodelist: template.NodeList, values: list, where: str):
        self.nodelist = nodelist
        self.values = values
        self.where = where

    def render(self, context) -> str:
        values = tuple(value.resolve(context) for value in self.values)
        return rendered(self.where, values, lambda: self.nodelist.render(context))


@register.tag("memo")
def do_memo(parser, token) -> MemoNode:
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% memo %} needs the values its block shows")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    # The template file and which of its memo blocks: two blocks are kept apart. A template
    # made from a string (no file) is told apart by its compiled block itself.
    parser.memo_blocks = getattr(parser, "memo_blocks", 0) + 1
    origin = parser.origin.name
    if origin == UNKNOWN_SOURCE:
        origin = f"{origin}@{id(nodelist)}"
    where = f"{origin}#{parser.memo_blocks}"
    return MemoNode(nodelist, [parser.compile_filter(bit) for bit in bits], where)
