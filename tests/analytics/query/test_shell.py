"""The interactive prompt: statements over lines, dot commands, errors that do not end it."""

from __future__ import annotations

from analytics.cli import run_sql
from analytics.query.access import analyst_connection
from analytics.query.shell import run_shell


def test_the_prompt_runs_statements_until_the_end_of_input(loaded_warehouse, capsys):
    con = analyst_connection(loaded_warehouse)
    lines = iter([".tables", "select count(*) as answer", "from fct_violations;", "drop view x;"])
    prompts = []

    def read_line(prompt: str) -> str:
        prompts.append(prompt)
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    run_shell(lambda text: run_sql(con, text, loaded_warehouse, "csv", 100, None), read_line)
    printed = capsys.readouterr()
    assert "fct_violations" in printed.out  # .tables listed the marts
    assert "answer\r\n3" in printed.out  # the statement over two lines ran
    assert "refused" in printed.err  # the drop was refused, and the prompt went on
    assert prompts[2].strip() == "...>"  # the second line of a statement continues it
