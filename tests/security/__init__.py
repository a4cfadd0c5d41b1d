"""Generic attack suite: every restricted role against every model.

``common`` builds the world (the confidentiality fixture plus what an
attacker aims at) and derives from the pool, never from a list kept by
hand, which records each role must not see and which strings only those
records hold.  ``test_attacks`` tries every ORM route in-process,
``test_rpc_attacks`` the same classes over JSON-RPC against a server.
"""
