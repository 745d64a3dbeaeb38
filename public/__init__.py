"""Beyond the lab: a lab's public pages (off until the lab turns them on), its public events with
guest registration, published public reports and its toolkit for visitors without an account.
"""
