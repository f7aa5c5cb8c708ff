/* The generator's own PRNG and samplers, written here so output never depends on the C
 * library's rand() and is byte-identical on every platform. */
#include "synth.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void synth_rng_seed(struct synth_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ synth_hash(stream, 0x5eedULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1; /* the all-zero state is the one xoshiro cannot leave */
}

uint64_t synth_rng_next(struct synth_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double synth_rng_unit(struct synth_rng *r)
{
    return (double)(synth_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t synth_rng_below(struct synth_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    /* Lemire's nearly divisionless method, with rejection for exact uniformity. */
    __uint128_t m = (__uint128_t)synth_rng_next(r) * n;
    uint64_t l = (uint64_t)m;
    if (l < n) {
        uint64_t t = -n % n;
        while (l < t) {
            m = (__uint128_t)synth_rng_next(r) * n;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

int64_t synth_rng_range(struct synth_rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)synth_rng_below(r, (uint64_t)(hi - lo) + 1);
}

bool synth_rng_chance(struct synth_rng *r, double p)
{
    return synth_rng_unit(r) < p;
}

int synth_rng_poisson(struct synth_rng *r, double lambda)
{
    if (lambda <= 0)
        return 0;
    if (lambda > 60) {
        /* Box-Muller normal approximation: Knuth's product would underflow. */
        double u1 = synth_rng_unit(r), u2 = synth_rng_unit(r);
        double z = sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2);
        double v = lambda + sqrt(lambda) * z + 0.5;
        return v < 0 ? 0 : (int)v;
    }
    double limit = exp(-lambda), p = 1.0;
    int k = 0;
    do {
        k++;
        p *= synth_rng_unit(r);
    } while (p > limit);
    return k - 1;
}

double synth_rng_exp(struct synth_rng *r, double mean)
{
    return -mean * log(1.0 - synth_rng_unit(r));
}

uint64_t synth_hash(uint64_t a, uint64_t b)
{
    uint64_t x = a * 0x9e3779b97f4a7c15ULL + b;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    x ^= x >> 31;
    x += b * 0xd6e8feb86659fd93ULL;
    x = (x ^ (x >> 32)) * 0xd6e8feb86659fd93ULL;
    return x ^ (x >> 32);
}

double synth_hash_unit(uint64_t a, uint64_t b)
{
    return (double)(synth_hash(a, b) >> 11) * 0x1.0p-53;
}

size_t synth_pick_cumulative(const double *cum, size_t n, double u)
{
    double target = u * cum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > target)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

uint64_t synth_scramble(uint64_t x, uint64_t m)
{
    /* 2654435761 is prime (Knuth's multiplicative hash), so coprime with any m = 2^a 3^b 5^c. */
    return (uint64_t)(((__uint128_t)x * 2654435761u + 7919u) % m);
}

int synth_nhs_check_digit(const int d[9])
{
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += d[i] * (10 - i);
    int check = 11 - sum % 11;
    if (check == 11)
        return 0;
    return check == 10 ? -1 : check;
}
