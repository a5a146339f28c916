"""Contracts: contracts, their lines, the contract they amend and the purchase orders placed under them."""
