//! Seeded randomness with a fixed algorithm, and the distributions the simulator draws from.
//!
//! The generator is xoshiro256++ seeded through SplitMix64, the published algorithms, written
//! here so that no dependency update can change a stream (a test checks the stream against the
//! `rand_xoshiro` crate). Distributions use `libm`'s `log`, `exp` and `sqrt` rather than the
//! platform's, so that a draw is the same bits natively and in wasm.

use crate::time::Time;

/// xoshiro256++: 256 bits of state, fast, and good enough for simulation (not for secrets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

/// One SplitMix64 step: advances `state` and returns the next output.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator seeded from one number, as `rand_xoshiro`'s `seed_from_u64` does it.
    #[must_use]
    pub fn new(seed: u64) -> Rng {
        let mut state = seed;
        let s = [
            splitmix64(&mut state),
            splitmix64(&mut state),
            splitmix64(&mut state),
            splitmix64(&mut state),
        ];
        Rng { s }
    }

    /// An independent stream for one purpose (`kind`) and one item (`index`) of a run, so that
    /// what one enquiry or agent draws does not shift anything else's numbers: two variants of a
    /// configuration see the same arrivals and the same enquiries.
    #[must_use]
    pub fn stream(seed: u64, kind: u64, index: u64) -> Rng {
        let mut state = seed ^ kind.wrapping_mul(0xd6e8_feb8_6659_fd93);
        let mixed = splitmix64(&mut state) ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        Rng::new(mixed)
    }

    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = self.s;
        let result = s0.wrapping_add(s3).rotate_left(23).wrapping_add(s0);
        let t = s1 << 17;
        let mut s = [s0, s1, s2 ^ s0, s3 ^ s1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        self.s = s;
        result
    }

    /// Uniform in [0, 1), 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in (0, 1]: safe to take the logarithm of.
    pub fn unit_open(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }

    /// Uniform in `0..n` (`n > 0`), without modulo bias worth measuring (Lemire's method).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Exponential with mean `mean`.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -libm::log(self.unit_open()) * mean
    }

    /// Standard normal, by the Marsaglia polar method.
    pub fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.unit() - 1.0;
            let v = 2.0 * self.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * libm::sqrt(-2.0 * libm::log(s) / s);
            }
        }
    }
}

/// The longest duration a draw gives (ms), about 317 years: durations beyond a few centuries
/// mean nothing here, and the cap keeps `Time` arithmetic far from overflow.
const LONGEST: f64 = 1e13;

/// A drawn duration in whole milliseconds: `ms` within `0..=LONGEST`, rounded half away from
/// zero (as `libm::round`), and 0 for NaN.
///
/// Within those bounds the integer part is the conversion's truncation and the fraction is
/// exact, so one comparison rounds, and no rounding function is called for every draw.
#[must_use]
pub(crate) fn whole_ms(ms: f64) -> i64 {
    let ms = ms.clamp(0.0, LONGEST);
    let whole = ms as i64;
    if ms - whole as f64 >= 0.5 {
        whole + 1
    } else {
        whole
    }
}

/// A distribution of durations (ms).
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Fixed(i64),
    Exponential {
        mean: f64,
    },
    /// Parameters of the underlying normal: `mu = ln(median)`, `sigma`.
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    Uniform {
        low: i64,
        high: i64,
    },
    /// One of the values, equally likely.
    Empirical(Vec<i64>),
}

impl Dist {
    /// A lognormal with the given mean and standard deviation, in ms (both positive).
    #[must_use]
    pub fn lognormal(mean: f64, sd: f64) -> Dist {
        let variance_ratio = 1.0 + (sd * sd) / (mean * mean);
        let sigma2 = libm::log(variance_ratio);
        Dist::Lognormal {
            mu: libm::log(mean) - sigma2 / 2.0,
            sigma: libm::sqrt(sigma2),
        }
    }

    /// One draw, rounded to the millisecond. Inlined for a fixed duration, the usual time to
    /// take an offer or to reply in a scenario that does not model them, which then costs no
    /// call; the other distributions draw out of line.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> i64 {
        match self {
            Dist::Fixed(ms) => *ms,
            _ => self.draw(rng),
        }
    }

    #[inline(never)]
    fn draw(&self, rng: &mut Rng) -> i64 {
        let ms = match self {
            Dist::Fixed(ms) => return *ms,
            Dist::Exponential { mean } => rng.exponential(*mean),
            Dist::Lognormal { mu, sigma } => libm::exp(mu + sigma * rng.normal()),
            Dist::Uniform { low, high } => {
                return low + rng.below((high - low) as u64 + 1) as i64;
            }
            Dist::Empirical(values) => {
                return values[rng.below(values.len() as u64) as usize];
            }
        };
        whole_ms(ms)
    }

    /// The mean (ms).
    #[must_use]
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(ms) => *ms as f64,
            Dist::Exponential { mean } => *mean,
            Dist::Lognormal { mu, sigma } => libm::exp(mu + sigma * sigma / 2.0),
            Dist::Uniform { low, high } => (*low + *high) as f64 / 2.0,
            Dist::Empirical(values) => {
                values.iter().map(|&v| v as f64).sum::<f64>() / values.len() as f64
            }
        }
    }

    /// `at` plus one draw.
    #[inline]
    pub fn after(&self, at: Time, rng: &mut Rng) -> Time {
        at.plus(self.sample(rng))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An independent implementation of the same published algorithms must give the same
    /// stream, seeding included.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_stream_matches_rand_xoshiro() {
        use rand_core::{RngCore, SeedableRng};
        for seed in [0, 1, 42, u64::MAX] {
            let mut ours = Rng::new(seed);
            let mut theirs = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
            for _ in 0..1_000 {
                assert_eq!(ours.next_u64(), theirs.next_u64(), "seed {seed}");
            }
        }
    }

    #[test]
    fn draws_have_the_right_means() {
        let mut rng = Rng::new(7);
        let n = 200_000;
        for dist in [
            Dist::Exponential { mean: 180_000.0 },
            Dist::lognormal(120_000.0, 60_000.0),
            Dist::Uniform {
                low: 1_000,
                high: 3_000,
            },
            Dist::Empirical(vec![1_000, 2_000, 6_000]),
        ] {
            let total: f64 = (0..n).map(|_| dist.sample(&mut rng) as f64).sum();
            let mean = total / f64::from(n);
            let want = dist.mean();
            assert!(
                (mean - want).abs() < want * 0.01,
                "{dist:?}: sample mean {mean}, expected {want}"
            );
        }
    }

    /// The same whole milliseconds as rounding with `libm` and then capping, for halves,
    /// values next to them, negative, huge and not-a-number draws, and random ones.
    #[test]
    fn whole_ms_rounds_as_libm_and_caps() {
        let by_libm = |ms: f64| libm::round(ms).clamp(0.0, LONGEST) as i64;
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            0.49999999999999994,
            1.5,
            2.5,
            -2.5,
            4_503_599_627_370_495.5,
            4_503_599_627_370_497.0,
            LONGEST - 0.5,
            LONGEST + 0.5,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ];
        // The neighbours of a positive value.
        let below = |x: f64| f64::from_bits(x.to_bits() - 1);
        let above = |x: f64| f64::from_bits(x.to_bits() + 1);
        for k in [1.0f64, 179_999.0, 180_000.0, 9_007_199_254_740_991.0] {
            values.extend([k - 0.5, k + 0.5, below(k + 0.5), above(k + 0.5)]);
        }
        let mut rng = Rng::new(5);
        for _ in 0..100_000 {
            values.push(rng.exponential(180_000.0));
            values.push((rng.unit() - 0.5) * 1e14);
        }
        for ms in values {
            assert_eq!(whole_ms(ms), by_libm(ms), "{ms:?}");
        }
    }

    #[test]
    fn streams_differ_by_kind_and_index() {
        let a = Rng::stream(1, 1, 0).next_u64();
        assert_ne!(a, Rng::stream(1, 2, 0).next_u64());
        assert_ne!(a, Rng::stream(1, 1, 1).next_u64());
        assert_ne!(a, Rng::stream(2, 1, 0).next_u64());
        assert_eq!(a, Rng::stream(1, 1, 0).next_u64());
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::new(3);
        let mut seen = [0u32; 5];
        for _ in 0..10_000 {
            seen[rng.below(5) as usize] += 1;
        }
        assert!(seen.iter().all(|&n| n > 1_800), "{seen:?}");
    }
}
