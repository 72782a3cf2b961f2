"""Profile one page in-process: where the Python time goes, and every SQL query's time.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.profile /training/sessions/
    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.profile /referrals/ --explain

Signs in as the benchmark coordinator (bench/run.py makes it), requests the page once to
warm up, then once under cProfile. --explain runs EXPLAIN ANALYZE on the slowest queries.
"""

import argparse
import cProfile
import io
import os
import pstats


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Profile one page.")
    parser.add_argument("path")
    parser.add_argument("--user", default="bench-coordinator")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=0, help="also time N requests without the profiler"
    )
    parser.add_argument(
        "--sort", default="cumulative", choices=["cumulative", "tottime"], help="profile order"
    )
    args = parser.parse_args(argv)
    # Always the benchmark database, whatever the environment says.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.run import signed_in_client
    from prevent_portal.accounts.models import User

    client = signed_in_client(User.objects.get(username=args.user))
    client.get(args.path)
    profile = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profile.enable()
        response = client.get(args.path)
        profile.disable()
    print(f"{args.path}: {response.status_code}, {len(queries.captured_queries)} queries")
    if args.repeat:
        import time

        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(args.path)
            times.append(1000 * (time.perf_counter() - started))
        times.sort()
        median, best = times[len(times) // 2], times[0]
        print(f"{args.repeat} requests: median {median:.1f} ms, best {best:.1f} ms")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    ranked = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    for query in ranked:
        print(f"{float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")
    if args.explain:
        with connection.cursor() as cursor:
            for query in ranked[:3]:
                if not query["sql"].lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n" + query["sql"][:200])
                print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
