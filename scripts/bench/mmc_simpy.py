"""Case C1 (200 an hour, exponential handling with a mean of 180 s, 14 agents) in SimPy.

Prints one JSON line: simulated enquiries per second. Usage: python mmc_simpy.py ENQUIRIES
"""
import json
import random
import sys
import time

import simpy

LAMBDA = 200 / 3600
MU = 1 / 180
SERVERS = 14


def main(customers):
    rng = random.Random(1)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=SERVERS)
    waited = [0]

    def enquiry(env):
        if agents.count >= SERVERS:
            waited[0] += 1
        with agents.request() as req:
            yield req
            yield env.timeout(rng.expovariate(MU))

    def arrivals(env):
        for _ in range(customers):
            yield env.timeout(rng.expovariate(LAMBDA))
            env.process(enquiry(env))

    env.process(arrivals(env))
    began = time.perf_counter()
    env.run()
    secs = time.perf_counter() - began
    print(json.dumps({"name": "SimPy 4.1.2", "enquiries": customers, "seconds": round(secs, 3),
                      "per_second": round(customers / secs), "p_wait": round(waited[0] / customers, 4)}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
