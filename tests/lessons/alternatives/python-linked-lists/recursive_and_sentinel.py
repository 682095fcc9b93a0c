class Node:
    def __init__(self, value, next=None):
        self.value = value
        self.next = next


class LinkedList:
    def __init__(self):
        self.head = None

    def push_front(self, value):
        self.head = Node(value, self.head)

    def to_list(self):
        values = []
        node = self.head
        while node:
            values.append(node.value)
            node = node.next
        return values

    def append(self, value):
        if self.head is None:
            self.head = Node(value)
        else:
            self._last(self.head).next = Node(value)

    def _last(self, node):
        return node if node.next is None else self._last(node.next)

    def remove(self, value):
        before = Node(None, self.head)     # a sentinel in front of the head
        node = before
        while node.next is not None and node.next.value != value:
            node = node.next
        if node.next is None:
            return False
        node.next = node.next.next
        self.head = before.next
        return True

    def reverse(self):
        def relink(node, previous):
            if node is None:
                return previous
            following = node.next
            node.next = previous
            return relink(following, node)
        self.head = relink(self.head, None)
