from whysoftmax.status import Kind, Status, weakest


def test_order_from_strongest_to_weakest():
    ranked = sorted(
        [Status.failed(), Status.proven(), Status.checked(), Status.proven_up_to(6)],
        key=lambda s: s.rank,
    )
    assert [str(s) for s in ranked] == ["failed", "checked", "proven for n ≤ 6", "proven"]


def test_weakest_takes_the_smaller_n():
    assert weakest([Status.proven_up_to(8), Status.proven_up_to(4)]) == Status.proven_up_to(4)


def test_failed_dominates_and_is_not_ok():
    result = weakest([Status.proven(), Status.failed()])
    assert result.kind is Kind.FAILED and not result.ok
