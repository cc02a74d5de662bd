"""Case C1 (200 an hour, exponential handling with a mean of 180 s, 14 agents) in Ciw.

Ciw runs to a time, not a count: the run is set to the time 1,000,000 enquiries take on
average, and the rate counts the enquiries that actually arrived. Usage: python mmc_ciw.py ENQUIRIES
"""
import json
import sys
import time

import ciw

LAMBDA = 200 / 3600
MU = 1 / 180
SERVERS = 14


def main(customers):
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=LAMBDA)],
        service_distributions=[ciw.dists.Exponential(rate=MU)],
        number_of_servers=[SERVERS],
    )
    ciw.seed(1)
    sim = ciw.Simulation(network)
    began = time.perf_counter()
    sim.simulate_until_max_time(customers / LAMBDA)
    secs = time.perf_counter() - began
    records = sim.get_all_records()
    served = len(records)
    waited = sum(1 for r in records if r.waiting_time > 0)
    print(json.dumps({"name": "Ciw 3.2.7", "enquiries": served, "seconds": round(secs, 3),
                      "per_second": round(served / secs), "p_wait": round(waited / max(served, 1), 4)}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
