//! One at a time, in order of arrival: a session's token grants. With rotation every
//! refresh-token grant spends the refresh token the previous grant returned (RFC 6749 §6,
//! RFC 9700 §4.14.2), so grants for different APIs must not overlap: each waits its turn and
//! then reads the newest refresh token.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// A queue of turns: tickets are served in the order they were drawn.
#[derive(Default)]
pub struct Turns {
    next: Cell<u64>,
    serving: Cell<u64>,
    waiting: RefCell<Vec<Waker>>,
}

/// The current turn; the next one starts when it is dropped.
pub struct Turn<'a>(&'a Turns);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.0.serving.set(self.0.serving.get() + 1);
        for waker in self.0.waiting.take() {
            waker.wake();
        }
    }
}

impl Turns {
    /// Waits for this caller's turn. The futures awaiting it are driven by JS promises, which
    /// run to completion: a ticket is never abandoned.
    pub fn take(&self) -> impl Future<Output = Turn<'_>> {
        let ticket = self.next.get();
        self.next.set(ticket + 1);
        Wait { turns: self, ticket }
    }
}

struct Wait<'a> {
    turns: &'a Turns,
    ticket: u64,
}

impl<'a> Future for Wait<'a> {
    type Output = Turn<'a>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Turn<'a>> {
        if self.turns.serving.get() == self.ticket {
            return Poll::Ready(Turn(self.turns));
        }
        self.turns.waiting.borrow_mut().push(cx.waker().clone());
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::single_flight::tests::noop_waker;

    #[test]
    fn turns_are_served_one_at_a_time_in_order() {
        let turns = Turns::default();
        let waker = noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut first = Box::pin(turns.take());
        let mut second = Box::pin(turns.take());
        let mut third = Box::pin(turns.take());
        assert!(second.as_mut().poll(&mut cx).is_pending());
        let Poll::Ready(held) = first.as_mut().poll(&mut cx) else { panic!("the first turn waits") };
        assert!(third.as_mut().poll(&mut cx).is_pending());
        assert!(second.as_mut().poll(&mut cx).is_pending());
        drop(held);
        assert!(third.as_mut().poll(&mut cx).is_pending(), "the third came after the second");
        let Poll::Ready(held) = second.as_mut().poll(&mut cx) else { panic!("the second turn waits") };
        drop(held);
        assert!(third.as_mut().poll(&mut cx).is_ready());
    }
}
