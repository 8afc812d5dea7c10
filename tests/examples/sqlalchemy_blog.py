# SPDX-License-Identifier: MIT
"""The tutorial's models, declared with SQLAlchemy, on the database relate-blog wrote.

    sqlalchemy_blog.py URL    (sqlite:///path/blog.db or postgresql://...)
"""
import sys

from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
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
    title = Column(String)
    content = Column(String)
    user_id = Column(Integer, ForeignKey("users.id"))
    author = relationship("User", back_populates="posts")


engine = create_engine(sys.argv[1])
with Session(engine) as session:
    user = session.query(User).filter_by(name="John Doe").one()
    titles = [post.title for post in user.posts]
    assert titles == ["First Post", "Second Post"], titles
    assert all(post.author is user for post in user.posts)
    # A post of another user, so relate-blog's output must not change.
    other = User(name="Jane Roe")
    other.posts.append(Post(title="Written by SQLAlchemy", content="from Python"))
    session.add(other)
    session.commit()
print("SQLAlchemy read:", titles)
