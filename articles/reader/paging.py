"""Paging long lists of articles: counted by a tally, deep pages read by their ids first."""

from django.core.paginator import Page, Paginator


class ArchivePaginator(Paginator):
    """Pages of a queryset of articles, counted by ``count`` (a tally the database keeps,
    never a count of the rows), each page after the first read by its ids first.

    To reach a deep page PostgreSQL skips every row before it, and computes each skipped
    row's columns on the way, a card's main people and places included (two subqueries
    a card), so the archive's middle page cost as much as computing half the archive's
    cards. So each page after the first selects its ids in a subquery, which skips index
    entries only, and the same statement computes the rest for those ids alone. The first
    page, with nothing to skip, is read as it is: the subquery would only cost it time."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count

    def _get_page(self, object_list, number, paginator):
        if number > 1:
            object_list = self.object_list.filter(pk__in=object_list.values("pk"))
        return Page(object_list, number, paginator)
