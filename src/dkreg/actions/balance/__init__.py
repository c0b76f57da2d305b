"""The prepaid account: EPP info balance, the statement, sandbox top-up."""
