"""Statements (对账单): monthly statements, their lines, disputes and the version they re-issue."""
