/* Plain C peer of `geolith-bench historian`: N samples of T tags, interleaved in time order as a poller
 * produces them, inserted with one prepared statement into the historian's samples layout
 * (WITHOUT ROWID, key (series, time)), in transactions of BATCH rows, WAL, synchronous=NORMAL.
 *   sqlite-c-bench PATH SAMPLES TAGS BATCH   prints "samples=N seconds=X rate=R"
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s PATH SAMPLES TAGS BATCH\n", argv[0]); return 2; }
    long samples = atol(argv[2]), tags = atol(argv[3]), batch = atol(argv[4]);
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) { fprintf(stderr, "open failed\n"); return 1; }
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "CREATE TABLE IF NOT EXISTS samples (series INTEGER NOT NULL, time INTEGER NOT NULL, value REAL,"
                     " quality INTEGER NOT NULL, PRIMARY KEY (series, time)) WITHOUT ROWID;", 0, 0, 0);
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO samples (series, time, value, quality) VALUES (?, ?, ?, ?)", -1, &insert, 0);
    double start = now();
    long written = 0;
    while (written < samples) {
        sqlite3_exec(db, "BEGIN", 0, 0, 0);
        long end = written + batch < samples ? written + batch : samples;
        /* Each transaction holds a slice of time for every tag, sorted by key like the historian does. */
        long per_tag = (end - written) / tags;
        if (per_tag < 1) per_tag = 1;
        long t0 = written / tags;
        for (long tag = 0; tag < tags && written < end; tag++) {
            for (long k = 0; k < per_tag && written < end; k++) {
                sqlite3_bind_int64(insert, 1, tag + 1);
                sqlite3_bind_int64(insert, 2, (t0 + k) * 1000);
                sqlite3_bind_double(insert, 3, (double)(tag + k));
                sqlite3_bind_int64(insert, 4, 2);
                sqlite3_step(insert);
                sqlite3_reset(insert);
                written++;
            }
        }
        sqlite3_exec(db, "COMMIT", 0, 0, 0);
    }
    double seconds = now() - start;
    printf("samples=%ld seconds=%.3f rate=%.0f\n", written, seconds, written / seconds);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return 0;
}
