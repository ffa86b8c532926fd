#!/usr/bin/env python3
"""Commit latency of small write transactions (the size of a credit check's log entry) in a SQLite
file in WAL mode with synchronous FULL, as the server writes them (run by hand):

  automatic   SQLite's own checkpoint, run inside the commit that takes the log past 1,000 frames
  background  the automatic checkpoint off; a passive checkpoint on another connection and thread
              once the log is past 1,000 frames, one at a time

The server keeps SQLite's automatic checkpoint: on the machine of the README's figures the
background variant moved the cost from a few commits to many (its writes and flushes of the
database file delay the log's flushes) and its p99 was worse in half of the runs.

  python3 scripts/bench-checkpoint.py [COMMITS] [DIRECTORY]
"""
import os, random, sqlite3, sys, threading, time

def run(mode, n, directory):
    path = os.path.join(directory, f"bench-checkpoint-{mode}.sqlite")
    def remove():
        for suffix in ("", "-wal", "-shm"):
            try: os.remove(path + suffix)
            except FileNotFoundError: pass
    remove()
    c = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    c.execute("PRAGMA journal_mode = WAL"); c.execute("PRAGMA synchronous = FULL")
    c.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, at INTEGER, subject INTEGER, body TEXT)")
    c.execute("CREATE INDEX log_subject ON log (subject)")
    if mode == "background":
        c.execute("PRAGMA wal_autocheckpoint = 0")
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    running = threading.Lock()
    def checkpoint():
        try: other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally: running.release()
    body = "核" * 1000
    times = []
    for i in range(n):
        t = time.perf_counter()
        c.execute("BEGIN IMMEDIATE")
        for _ in range(4):
            c.execute("INSERT INTO log (at, subject, body) VALUES (?, ?, ?)", (i, random.randrange(10**6), body))
        c.execute("COMMIT")
        times.append((time.perf_counter() - t) * 1000)
        if mode == "background" and os.path.getsize(path + "-wal") // (4096 + 24) >= 1000 and running.acquire(blocking=False):
            threading.Thread(target=checkpoint).start()
    while running.locked(): time.sleep(0.01)
    c.close(); other.close(); remove()
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{mode:10s} {n} 次提交（ms）：p50 {p(.5):.2f}，p99 {p(.99):.2f}，p99.5 {p(.995):.2f}，p99.9 {p(.999):.2f}，"
          f"最大 {times[-1]:.2f}；超过 2 ms 的 {sum(t > 2 for t in times)} 次")

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
    directory = sys.argv[2] if len(sys.argv) > 2 else "data"
    os.makedirs(directory, exist_ok=True)
    for mode in ("automatic", "background", "automatic", "background"):
        run(mode, n, directory)
