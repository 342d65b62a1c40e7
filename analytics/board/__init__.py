"""The weekly 文明交通红黑榜: rankings by violations per 1,000 exposures, published as revisions.

``analytics.board.publish.publish_week`` publishes a week; ``analytics.board.coverage`` says how
much of it the warehouse holds. Nothing is imported here, so that ``civility`` starts without the
charting libraries.
"""
