# SPDX-License-Identifier: MIT
"""The blog's second models, declared with SQLAlchemy, on the database relate migrated.

    sqlalchemy_blog_v2.py URL    (sqlite:///path/blog.db or postgresql://...)

posts.created_at is a DateTime the database fills (server_default=func.now()),
posts.title is indexed (index=True, named ix_posts_title as SQLAlchemy names it).
"""
import sys

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, create_engine, func, inspect
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    posts = relationship("Post", order_by="Post.id", back_populates="author")


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    title = Column(String, index=True)
    content = Column(String)
    user_id = Column(Integer, ForeignKey("users.id"))
    created_at = Column(DateTime, server_default=func.now(), nullable=False)
    author = relationship("User", back_populates="posts")


engine = create_engine(sys.argv[1])
indexes = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("posts")}
assert indexes.get("ix_posts_title") == ["title"], indexes
with Session(engine) as session:
    user = session.query(User).filter_by(name="John Doe").one()
    titles = [post.title for post in user.posts]
    assert titles == ["First Post", "Second Post"], titles
    # The posts written before the migration got their creation time from it.
    assert all(post.created_at is not None for post in user.posts)
    other = User(name="Jane Roe")
    other.posts.append(Post(title="Written by SQLAlchemy", content="from Python"))
    session.add(other)
    session.commit()
    written = session.query(Post).filter_by(title="Written by SQLAlchemy").one()
    assert written.created_at is not None
print("SQLAlchemy read the migrated database:", titles)
