"""Cases: the step after review. Confirmed violations become signed case packages for the
penalty system (``cases.export``), verifiable later (``cases.verify``), and weekly notices to
courier platforms (``cases.notices``). See docs/cases.md."""
