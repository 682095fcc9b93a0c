from collections import deque


class TreeNode:
    def __init__(self, value):
        self.value = value
        self.left = None
        self.right = None


class BST:
    def __init__(self):
        self.root = None

    def insert(self, value):
        if self.root is None:
            self.root = TreeNode(value)
            return
        node = self.root
        while True:
            if value == node.value:
                return
            side = "left" if value < node.value else "right"
            child = getattr(node, side)
            if child is None:
                setattr(node, side, TreeNode(value))
                return
            node = child

    def contains(self, value):
        node = self.root
        while node:
            if node.value == value:
                return True
            node = node.left if value < node.value else node.right
        return False

    def in_order(self):
        result, stack, node = [], [], self.root
        while stack or node:
            while node:
                stack.append(node)
                node = node.left
            node = stack.pop()
            result.append(node.value)
            node = node.right
        return result

    def height(self):
        # count the levels, breadth first
        levels = 0
        level = deque([self.root] if self.root else [])
        while level:
            levels += 1
            for _ in range(len(level)):
                node = level.popleft()
                level.extend(child for child in (node.left, node.right) if child)
        return levels
