from . import portal_review
