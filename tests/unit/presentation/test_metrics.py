"""Request metrics in Prometheus's text format."""

from __future__ import annotations

from infrastructure.faults import FaultCounts
from presentation.api.metrics import Family, HttpMetrics, exposition
from presentation.bootstrap.fault_metrics import fault_families
from presentation.bootstrap.sweeper import SweeperCounts, sweeper_families


def lines(metrics: HttpMetrics) -> list[str]:
    return exposition(metrics.families()).splitlines()


def test_requests_are_counted_by_method_route_and_status() -> None:
    metrics = HttpMetrics()
    metrics.record("PUT", "/a/{id:uuid}", 200, 0.003)
    metrics.record("PUT", "/a/{id:uuid}", 200, 0.004)
    metrics.record("PUT", "/a/{id:uuid}", 409, 0.002)
    text = lines(metrics)
    assert 'hourglass_http_requests_total{method="PUT",route="/a/{id:uuid}",status="200"} 2' in text
    assert 'hourglass_http_requests_total{method="PUT",route="/a/{id:uuid}",status="409"} 1' in text
    assert "# TYPE hourglass_http_requests_total counter" in text


def test_the_latency_histogram_is_cumulative_and_ends_with_every_request() -> None:
    metrics = HttpMetrics()
    for seconds in (0.0005, 0.02, 0.02, 3.0, 60.0):
        metrics.record("GET", "/r", 200, seconds)
    text = lines(metrics)
    bucket = 'hourglass_http_request_duration_seconds_bucket{method="GET",route="/r",le="%s"}'
    assert f"{bucket % '0.001'} 1" in text
    assert f"{bucket % '0.025'} 3" in text
    assert f"{bucket % '2.5'} 3" in text
    assert f"{bucket % '5.0'} 4" in text
    assert f"{bucket % '+Inf'} 5" in text
    assert 'hourglass_http_request_duration_seconds_count{method="GET",route="/r"} 5' in text
    assert 'hourglass_http_request_duration_seconds_sum{method="GET",route="/r"} 63.0405' in text


def test_label_values_are_escaped() -> None:
    text = exposition([Family("x", "gauge", "help", (("", {"v": 'a"b\\c\nd'}, 1.5),))])
    assert 'x{v="a\\"b\\\\c\\nd"} 1.5' in text.splitlines()


def test_collectors_add_their_families_at_scrape_time() -> None:
    metrics = HttpMetrics()
    seen = [0]
    metrics.add_collector(
        lambda: [Family("hourglass_things", "gauge", "Things.", (("", {}, seen[0]),))]
    )
    seen[0] = 7
    assert "hourglass_things 7" in lines(metrics)


def test_the_sweeper_loop_reports_its_passes_and_expiries() -> None:
    counts = SweeperCounts(passes=12, failed_passes=1, expired=40, latest_max_lag_seconds=0.25)
    text = exposition(sweeper_families(counts)).splitlines()
    assert "hourglass_sweeper_passes_total 12" in text
    assert "hourglass_sweeper_failed_passes_total 1" in text
    assert "hourglass_sweeper_expired_total 40" in text
    assert "hourglass_sweeper_last_max_lag_seconds 0.25" in text


def test_the_expiry_lag_histogram_counts_each_expired_attempt() -> None:
    counts = SweeperCounts()
    for lag in (0.04, 0.3, 1.2):
        counts.lags.observe(lag)
    text = exposition(sweeper_families(counts)).splitlines()
    assert "# TYPE hourglass_expiry_lag_seconds histogram" in text
    assert 'hourglass_expiry_lag_seconds_bucket{le="0.05"} 1' in text
    assert 'hourglass_expiry_lag_seconds_bucket{le="1.0"} 2' in text
    assert 'hourglass_expiry_lag_seconds_bucket{le="+Inf"} 3' in text
    assert "hourglass_expiry_lag_seconds_count 3" in text


def test_degradations_are_exposed_by_path_and_error_class() -> None:
    faults = FaultCounts()
    faults.breaker_changed(open_now=True)
    faults.fell_back("get")
    faults.fell_back("publish")
    faults.redis_failed(ConnectionRefusedError())
    faults.postgres_failed(TimeoutError())
    text = exposition(fault_families(faults)).splitlines()
    assert "hourglass_redis_breaker_open 1" in text
    assert "hourglass_redis_breaker_opened_total 1" in text
    assert 'hourglass_redis_fallbacks_total{path="hot state read"} 1' in text
    assert 'hourglass_redis_fallbacks_total{path="live updates"} 1' in text
    assert 'hourglass_redis_errors_total{error="ConnectionRefusedError"} 1' in text
    assert 'hourglass_postgres_errors_total{error="TimeoutError"} 1' in text
