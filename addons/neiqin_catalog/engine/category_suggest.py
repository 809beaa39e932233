"""Suggest a category for a product from the names of categorised products.

Plain Python, no model: the wizard fetches the names in one query and hands
them over. A name becomes tokens (Chinese: the character bigrams of each
run of CJK characters, a lone character for a run of one; Latin: the
lower-cased words); each category keeps how often each token occurs in its
products' names. A token weighs, for a category, its frequency there times
how rare it is among the categories (tf-idf): 纯棉 frequent in apparel and
absent elsewhere says apparel, a token every category has says nothing.
"""

import math
import re
from collections import Counter, defaultdict

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W_]+")


def tokens(name):
    """The tokens of a product name: CJK bigrams and Latin lower-cased words."""
    name = name or ""
    result = []
    for run in _CJK_RUN.findall(name):
        if len(run) == 1:
            result.append(run)
        else:
            result.extend(run[i : i + 2] for i in range(len(run) - 1))
    for word in _WORD.findall(_CJK_RUN.sub(" ", name)):
        result.append(word.lower())
    return result


class CategoryModel:
    """Token weights per category, learnt from ``(category_id, name)`` pairs."""

    def __init__(self, samples):
        counts = defaultdict(Counter)
        for categ_id, name in samples:
            counts[categ_id].update(tokens(name))
        n_categories = len(counts)
        spread = Counter()
        for counter in counts.values():
            spread.update(counter.keys())
        self.weights = {}
        for categ_id, counter in counts.items():
            total = sum(counter.values()) or 1
            self.weights[categ_id] = {
                token: (count / total) * math.log(1 + n_categories / spread[token])
                for token, count in counter.items()
            }

    def suggest(self, name):
        """``(category_id, confidence)`` for ``name``: the category whose
        weights sum highest over the name's tokens, the lowest id among
        equals; the confidence is its share of all categories' sums, from 0
        to 100. ``(None, 0)`` when no token of the name is known."""
        name_tokens = tokens(name)
        scores = {}
        for categ_id, weights in self.weights.items():
            score = sum(weights.get(token, 0.0) for token in name_tokens)
            if score > 0:
                scores[categ_id] = score
        if not scores:
            return None, 0
        best = min(scores, key=lambda categ_id: (-scores[categ_id], categ_id))
        return best, round(100 * scores[best] / sum(scores.values()))
