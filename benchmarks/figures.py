"""The figures of a benchmark: each value beside its anchor (raw SQL or the
plain library doing the same work, measured in the same run) and their
ratio; printed as a table at the end."""
import sys

ROWS = []


def _log(message):
    print(message, file=sys.stderr, flush=True)


def record(figure, value, anchor, unit='s'):
    ratio = value / anchor if anchor else float('nan')
    ROWS.append({'figure': figure, 'value': value, 'anchor': anchor,
            'unit': unit, 'ratio': ratio})
    _log(f"[bench] {figure}: {value:.4g} {unit} "
        f"(anchor {anchor:.4g}, ratio {ratio:.3g})")


def record_info(figure, value):
    "A figure without an anchor (a count, a yes/no)."
    ROWS.append({'figure': figure, 'value': value, 'anchor': None,
            'unit': '', 'ratio': None})
    _log(f"[bench] {figure}: {value}")


def percentile(samples, share):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(round(share * len(samples))))]


def print_table(title, width=62):
    print(title)
    print(f"{'figure':<{width}} | {'value':>12} | {'anchor':>12} | ratio")
    for row in ROWS:
        if row['anchor'] is None:
            print(f"{row['figure']:<{width}} | {row['value']}")
        else:
            print(f"{row['figure']:<{width}} | {row['value']:>10.4g} "
                f"{row['unit']:<2}| {row['anchor']:>12.4g} | "
                f"{row['ratio']:.3g}")
