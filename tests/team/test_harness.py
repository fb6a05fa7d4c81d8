"""The throwaway server itself: it runs, it listens on a socket in its own folder and nowhere else."""

from __future__ import annotations


def test_throwaway_server_listens_only_on_its_own_socket(pg_server):
    rows = pg_server.execute("SHOW listen_addresses")
    assert rows == [("",)]
    (directory,) = pg_server.execute("SHOW unix_socket_directories")[0]
    assert directory == str(pg_server.socket_dir)
    assert str(pg_server.socket_dir).startswith(str(pg_server.folder))
    (data_dir,) = pg_server.execute("SHOW data_directory")[0]
    assert data_dir.startswith(str(pg_server.folder)) and "/var/lib/postgresql" not in data_dir
    assert pg_server.execute("SELECT current_user") == [("pmodesk_admin",)]
