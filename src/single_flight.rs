//! One operation in flight at a time: callers that arrive while it runs wait for its result
//! instead of starting their own (N concurrent `getAccessToken()` during expiry: one refresh).

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

struct Slot<T> {
    result: RefCell<Option<T>>,
    waiters: RefCell<Vec<Waker>>,
}

/// Shares the result of the running operation with every caller that joins it.
pub struct SingleFlight<T> {
    running: RefCell<Option<Rc<Slot<T>>>>,
}

impl<T> Default for SingleFlight<T> {
    fn default() -> Self {
        SingleFlight { running: RefCell::new(None) }
    }
}

impl<T: Clone> SingleFlight<T> {
    /// Runs `operation`, or joins the run already under way. The leader's future is driven by
    /// a JS promise, which is never dropped before it completes, so joiners always get an answer.
    pub async fn run<F: Future<Output = T>>(&self, operation: impl FnOnce() -> F) -> T {
        let joined = self.running.borrow().clone();
        if let Some(slot) = joined {
            return Join(slot).await;
        }
        let slot = Rc::new(Slot { result: RefCell::new(None), waiters: RefCell::new(Vec::new()) });
        *self.running.borrow_mut() = Some(slot.clone());
        let result = operation().await;
        *self.running.borrow_mut() = None;
        *slot.result.borrow_mut() = Some(result.clone());
        for waker in slot.waiters.take() {
            waker.wake();
        }
        result
    }
}

struct Join<T>(Rc<Slot<T>>);

impl<T: Clone> Future for Join<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if let Some(result) = self.0.result.borrow().as_ref() {
            return Poll::Ready(result.clone());
        }
        self.0.waiters.borrow_mut().push(cx.waker().clone());
        Poll::Pending
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::cell::Cell;
    use std::task::{RawWaker, RawWakerVTable};

    /// A future that stays pending until `open` is set.
    struct Gate<'a>(&'a Cell<bool>);

    impl Future for Gate<'_> {
        type Output = ();
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
            if self.0.get() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }
    }

    /// A waker that does nothing: the tests poll by hand.
    pub(crate) fn noop_waker() -> Waker {
        const VTABLE: RawWakerVTable =
            RawWakerVTable::new(|_| RawWaker::new(std::ptr::null(), &VTABLE), |_| {}, |_| {}, |_| {});
        // SAFETY: every vtable function ignores the data pointer.
        unsafe { Waker::from_raw(RawWaker::new(std::ptr::null(), &VTABLE)) }
    }

    #[test]
    fn concurrent_callers_share_one_run() {
        let flight = SingleFlight::<u32>::default();
        let runs = Cell::new(0);
        let open = Cell::new(false);
        let op = || async {
            runs.set(runs.get() + 1);
            Gate(&open).await;
            42
        };
        let mut calls: Vec<Pin<Box<dyn Future<Output = u32> + '_>>> =
            (0..20).map(|_| Box::pin(flight.run(op)) as _).collect();
        let waker = noop_waker();
        let mut cx = Context::from_waker(&waker);
        for c in &mut calls {
            assert!(c.as_mut().poll(&mut cx).is_pending());
        }
        open.set(true);
        let results: Vec<u32> = calls
            .iter_mut()
            .map(|c| match c.as_mut().poll(&mut cx) {
                Poll::Ready(v) => v,
                Poll::Pending => panic!("still pending"),
            })
            .collect();
        assert_eq!(results, vec![42; 20]);
        assert_eq!(runs.get(), 1);

        // Once finished, the next call runs again.
        open.set(true);
        let mut again = Box::pin(flight.run(op));
        assert_eq!(again.as_mut().poll(&mut cx), Poll::Ready(42));
        assert_eq!(runs.get(), 2);
    }
}
